/** What the engine tests read back from the emulator: what it holds, and who signed each admin call. */
import type { EmulatorHandle, RecordedRequest } from "../../tools/emulator";

/** How many apps and grants the identity domain holds. */
export function adminCounts(emu: EmulatorHandle): { apps: number; grants: number } {
  const state = emu.control.state();
  return { apps: state.apps.length, grants: state.grants.length };
}

/** An admin call as one line: method, resource (`Apps`, `Grants`, `AppStatusChanger`), status and who signed it. */
export function signedCall(request: RecordedRequest): string {
  return `${request.method} ${request.path.split("/")[3] ?? ""} ${request.status} ${request.signedBy ?? "-"}`;
}

/** The base64 body of a PEM key: what would show of it in any encoding-preserving copy. */
export function pemBody(pem: string): string {
  return pem
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("-----"))
    .join("");
}
