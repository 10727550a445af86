// streamspec/testing: faithful, stateful fakes of every provider, for the tests of apps that use them. Each fake is
// a `fetch` to hand to a client (in-process, any runtime) and a loopback server (`listen()`, Node only), with a
// clock the test moves, the requests it received, and injected faults.
export { createFakeFlipFlop } from "./flipflop.js";
export type { FakeFlipFlop, FakeFlipFlopOptions, FakeFlipFlopMember, FakeFlipFlopStreamKey, FlipFlopOperationId } from "./flipflop.js";
export { createFakePolyv } from "./polyv.js";
export type { FakePolyv, FakePolyvOptions, FakePolyvRateLimit, FakePolyvChannel, ViewerVisitOptions, ViewerVisit, PolyvOperationId } from "./polyv.js";
export { createFakeSoop } from "./soop.js";
export type {
  FakeSoop,
  FakeSoopOptions,
  FakeSoopToken,
  FakeSoopUser,
  FakeSoopFilterEntry,
  FakeSoopFilterType,
  FakeSoopBroadcast,
  FakeSoopBroadcastSettings,
  SoopOperationId,
} from "./soop.js";
export { createFakeArctos } from "./arctos.js";
export type { FakeArctos, FakeArctosOptions, FakeArctosSession, ArctosLicenseError, ArctosOperationId } from "./arctos.js";
export type { Fake, FakeOptions, Fault, InjectOptions, ListenOptions, RecordedRequest, RecordedAnswer } from "./core.js";
