import { faultMatrix } from './fault-matrix.js';

faultMatrix('reset', ['reset']);
