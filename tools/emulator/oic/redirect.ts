/**
 * The OIC runtime host (`https://<instance>.integration.<region>.ocp.oraclecloud.com`, here 127.0.0.2):
 * Developer API calls answer 307 to the design-time host (https://github.com/MattSo28/oic-scripts
 * get_connections_dev.py handles the 307;
 * http://niallcblogs.blogspot.com/2024/05/1016-oic3-factory-api-design-and.html). `Location` carries the
 * path, the query and `integrationInstance=<name>` (inferred: that script re-GETs it unchanged), so a client
 * that follows it arrives without its bearer token when it drops `Authorization` across hosts.
 */
import { type EmulatorContext, type OicInstance } from "../context";
import { emptyReply, header, type EmuRequest, type Reply } from "../http";
import { ociError } from "../ociErrors";

/** Which instance a runtime-host request means: `integrationInstance`, else the Host's first DNS label, else the first. */
function instanceFor(ctx: EmulatorContext, request: EmuRequest): OicInstance | undefined {
  const byQuery = request.query.get("integrationInstance");
  if (byQuery !== null) return ctx.instances.find((instance) => instance.name === byQuery);
  const label = (header(request, "host") ?? "").split(".")[0]?.toLowerCase();
  return ctx.instances.find((instance) => instance.name === label) ?? ctx.instances[0];
}

export function runtimeRedirect(ctx: EmulatorContext, request: EmuRequest): Reply {
  const instance = instanceFor(ctx, request);
  if (!instance) {
    return ociError(
      404,
      "NotFound",
      `No integration instance named ${request.query.get("integrationInstance") ?? ""}.`,
    );
  }
  // The query is kept byte for byte; only the instance is appended when it is not there yet.
  const rawQuery = request.target.includes("?") ? request.target.slice(request.target.indexOf("?") + 1) : "";
  const instanceParam = `integrationInstance=${encodeURIComponent(instance.name)}`;
  const query = request.query.has("integrationInstance")
    ? rawQuery
    : [rawQuery, instanceParam].filter((part) => part !== "").join("&");
  return emptyReply(307, { location: `${ctx.info.designTimeUrl}${request.path}?${query}` });
}
