import { FAULT_KINDS } from '../../../src/emulator/index.js';
import { faultMatrix } from './fault-matrix.js';

faultMatrix('mixed', FAULT_KINDS);
