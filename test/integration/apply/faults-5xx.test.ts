import { faultMatrix } from './fault-matrix.js';

faultMatrix('5xx', ['5xx']);
