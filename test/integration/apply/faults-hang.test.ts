import { faultMatrix } from './fault-matrix.js';

faultMatrix('hang', ['hang']);
