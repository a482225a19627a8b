import { faultMatrix } from './fault-matrix.js';

faultMatrix('429', ['429']);
