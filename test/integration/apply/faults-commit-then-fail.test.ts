import { faultMatrix } from './fault-matrix.js';

faultMatrix('commit-then-fail', ['commit-then-fail']);
