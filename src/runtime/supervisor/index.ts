/**
 * Worker supervisor and steering (public surface of src/runtime/supervisor).
 * See ./supervisor.ts for behaviour; ./log-rotation.ts, ./record.ts, ./policy.ts and
 * ./steer.ts hold the parts that are tested on their own.
 */
export { createSupervisor, type Supervisor, type SupervisorOptions } from './supervisor.js';
export { rotateLog, type RotateOptions } from './log-rotation.js';
export { type RecordLane, type SupervisorRecord, type ReadRecordResult } from './record.js';
export { backoffDelay, decideExit, type BackoffMemory, type ExitDecision } from './policy.js';
export { substituteArg } from './steer.js';
