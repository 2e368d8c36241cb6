/**
 * Worker supervisor and steering (public surface of src/runtime/supervisor).
 * See ./supervisor.ts for behaviour; ./log-rotation.ts, ./record.ts, ./policy.ts and
 * ./steer.ts hold the parts that are tested on their own.
 */
export {
  createSupervisor,
  TICK_MS,
  type Supervisor,
  type SupervisorOptions,
} from './supervisor.js';
export { rotateLog, logPaths, type RotateOptions } from './log-rotation.js';
export {
  readRecord,
  writeRecord,
  recordPath,
  type RecordLane,
  type SupervisorRecord,
  type ReadRecordResult,
} from './record.js';
export {
  backoffDelay,
  decideExit,
  wantsRestart,
  type BackoffMemory,
  type ExitDecision,
} from './policy.js';
export { substituteArg, INBOX_FILE, STEER_COMMAND_TIMEOUT_MS } from './steer.js';
export { WORKER_LOG, workerEnv } from './spawn-worker.js';
export { initialWorkerState } from './live-proc.js';
