import { FAULT_KINDS } from '../../../src/emulator/index.js';
import { concurrentFaultMatrix } from './fault-matrix.js';

concurrentFaultMatrix('mixed', FAULT_KINDS);
