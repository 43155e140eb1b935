/**
 * `@ctct-bulk/fake-server`: a Hono app that behaves like Constant Contact's Bulk Activities API —
 * accounts and auth, lists, contacts, activities that really change them, exports, paging and
 * errors — built on `@ctct-bulk/core`'s own encoding, validation and XML code. Run it in process
 * (`createFakeServer()`, whose `fetch` needs no socket) or on a port (`startFakeServer()`, or the
 * `ctct-fake-server` binary); move its jobs with a clock you control; inject faults; inspect what
 * it received. The `./vitest` subpath wires it into a suite.
 *
 * @module
 */
export {
  DEFAULT_ACCOUNT,
  DEFAULT_LISTS,
  type FakeAccount,
  type FakeAccountSeed,
  type FakeContactSeed,
  type FakeListSeed,
  type FakeSeed,
} from "./accounts.ts";
export type { ActivityWork, ContactFileWork, FakeActivity } from "./activity-work.ts";
export type { FakeEnv } from "./api-routes.ts";
export type { ClockMode } from "./clock.ts";
export type {
  AccountOption,
  ActivitySnapshot,
  ContactSnapshot,
  FakeControl,
  ListSnapshot,
  MemberSnapshot,
} from "./control.ts";
export {
  createFakeServer,
  type FakeFetch,
  type FakeServer,
  type FakeServerOptions,
  IN_PROCESS_ORIGIN,
} from "./fake-server.ts";
export { type ActiveFault, checkFaultRule, type FaultKind, type FaultRule } from "./faults.ts";
export { INSPECTION_PREFIX } from "./inspection-routes.ts";
export type { ActivityLineErrorRecord, ActivityRecord } from "./jobs.ts";
export type { RecordedFile, RecordedRequest } from "./requests-log.ts";
export { DEFAULT_LOG_BODY_BYTES } from "./requests-log.ts";
export { RETENTION_MS } from "./server-state.ts";
export {
  describeListenError,
  type RunningFakeServer,
  type StartFakeServerOptions,
  startFakeServer,
} from "./start.ts";
export type {
  AccountState,
  ContactRecord,
  ContactStatus,
  ListMember,
  ListRecord,
  MembershipRecord,
} from "./state.ts";
