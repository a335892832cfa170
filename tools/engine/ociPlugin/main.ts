/**
 * The "oci" resource plugin the engine tests load: a Pulumi provider over gRPC (pulumi/pulumi
 * `proto/pulumi/provider.proto`) whose calls are the rehearsal's OCI provider against the emulator. The engine starts
 * it with its own address as the argument and reads the port it listens on from the first line of stdout.
 *
 * It is not Oracle's provider: the Go module proxy refuses github.com/oracle/terraform-provider-oci and
 * github.com/pulumi/pulumi-oci/provider/v4 at every version, so that binary cannot be built here (docs/engine.md).
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as plugin from "@pulumi/pulumi/proto/plugin_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import * as services from "@pulumi/pulumi/proto/provider_grpc_pb";
import { unwrapRpcSecret } from "@pulumi/pulumi/runtime/rpc";

import { createHttpClient } from "../../../components/http";
import { emulatedOciProvider, OCI_TOKENS } from "../../rehearsal/ociProvider/emulatedProvider";
import {
  createSignedClient,
  SECRET_SETTINGS,
  SETTING_ATTRIBUTES,
  signingProviderFor,
  type OciProviderSettings,
  type OciSettingsOrigin,
} from "../../../components/signing";
import { ociResourceProvider, typeOfUrn, type OciResourceProvider } from "./resourceProvider";

const VERSION = "4.20.0";

/** The provider's sign-in settings as string properties, the secret ones marked so (pulumi-oci's provider resource). */
const SIGN_IN_PROPERTIES = Object.fromEntries(
  (Object.keys(SETTING_ATTRIBUTES) as (keyof OciProviderSettings)[]).map((setting) => [
    setting,
    { type: "string", ...(SECRET_SETTINGS.has(setting) ? { secret: true } : {}) },
  ]),
);

/**
 * The package schema this stand-in answers `GetSchema` with: the resources and functions it serves, by token, with
 * no property list (the real provider's schema is not in @pulumi/oci's npm package), and the provider resource's
 * sign-in settings. Enough for a schema that references them to bind, such as the component package's, whose `app`
 * output is a `DomainsApp`, and for a YAML program to declare an explicit `pulumi:providers:oci`.
 */
const OCI_SCHEMA = {
  name: "oci",
  version: VERSION,
  description: "The rehearsal's OCI provider served as oci 4.20.0 for the engine tests (docs/engine.md).",
  provider: { properties: SIGN_IN_PROPERTIES, inputProperties: SIGN_IN_PROPERTIES },
  resources: Object.fromEntries(
    [OCI_TOKENS.app, OCI_TOKENS.grant].map((token) => [token, { properties: {}, inputProperties: {} }]),
  ),
  functions: Object.fromEntries(
    [OCI_TOKENS.getApp, OCI_TOKENS.getAppRoles, OCI_TOKENS.getIntegrationInstance].map((token) => [
      token,
      { inputs: { properties: {} }, outputs: { properties: {} } },
    ]),
  ),
};

type Props = Record<string, unknown>;
type Callback<T> = (error: grpc.ServiceError | null, value?: T) => void;

function plain(struct: Struct | undefined): Props {
  return struct?.toJavaScript() ?? {};
}

function struct(value: Props): Struct {
  // The JSON round trip drops undefined, which Struct.fromJavaScript refuses.
  return Struct.fromJavaScript(
    JSON.parse(JSON.stringify(value)) as Parameters<typeof Struct.fromJavaScript>[0],
  );
}

function failure(error: unknown): grpc.ServiceError {
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(message), {
    code: grpc.status.UNKNOWN,
    details: message,
    metadata: new grpc.Metadata(),
  });
}

/** Runs a handler and answers the call with its result or its error. */
function answer<T>(callback: Callback<T>, work: () => T | Promise<T>): void {
  Promise.resolve()
    .then(work)
    .then(
      (value) => callback(null, value),
      (error: unknown) => callback(failure(error)),
    );
}

/**
 * The provider's sign-in settings as the engine sends them in `Configure.args`: the stack's `oci:` keys for the
 * default provider, an explicit provider's arguments, camelCase either way (`tenancyOcid`).
 */
function settingsOf(args: Props): OciProviderSettings {
  const settings: Partial<Record<keyof OciProviderSettings, string>> = {};
  for (const setting of Object.keys(SETTING_ATTRIBUTES) as (keyof OciProviderSettings)[]) {
    // An explicit provider's secret argument comes wrapped as a secret, whatever the provider answers later.
    const value: unknown = unwrapRpcSecret(args[setting]);
    if (typeof value === "string" && value !== "") settings[setting] = value;
  }
  return settings;
}

/** Default providers are named `default` or `default_<version>`; any other name is an explicit provider's. */
function originOf(name: string | undefined): OciSettingsOrigin {
  return name === undefined || name === "" || name.startsWith("default")
    ? { kind: "stack" }
    : { kind: "provider", name };
}

class OciPlugin {
  private provider: OciResourceProvider | undefined;

  private configured(): OciResourceProvider {
    if (this.provider === undefined) throw new Error("the oci provider was used before Configure");
    return this.provider;
  }

  /**
   * Signs in as terraform-provider-oci does, with the project's model of it (components/signing): the settings,
   * then `TF_VAR_*`/`OCI_*` of this process's environment (the `pulumi` command's), then the config file, `~`
   * expanded; ApiKey, SecurityToken and the principals through oci-common's providers.
   */
  async configure(args: Props, name: string | undefined): Promise<void> {
    // Go's TLS stack, which the real provider uses, trusts SSL_CERT_FILE: so does this one (the emulator's CA).
    const http = createHttpClient({ caFile: process.env["SSL_CERT_FILE"], allowPlainHttpOnLoopback: true });
    const { provider } = await signingProviderFor({ settings: settingsOf(args), origin: originOf(name) });
    const client = createSignedClient(http, provider);
    const integrationEndpoint =
      process.env["OIC_EMULATOR_CONTROL_PLANE_URL"] ??
      `https://integration.${typeof args["region"] === "string" ? args["region"] : "us-ashburn-1"}.ocp.oraclecloud.com`;
    this.provider = ociResourceProvider(emulatedOciProvider({ client, integrationEndpoint }));
  }

  service(): grpc.UntypedServiceImplementation {
    const implementation = {
      getPluginInfo: (_call: unknown, callback: Callback<plugin.PluginInfo>) => {
        callback(null, new plugin.PluginInfo().setVersion(VERSION));
      },
      getSchema: (_call: unknown, callback: Callback<proto.GetSchemaResponse>) => {
        callback(null, new proto.GetSchemaResponse().setSchema(JSON.stringify(OCI_SCHEMA)));
      },
      checkConfig: (
        call: grpc.ServerUnaryCall<proto.CheckRequest, proto.CheckResponse>,
        callback: Callback<proto.CheckResponse>,
      ) => {
        callback(null, new proto.CheckResponse().setInputs(call.request.getNews()));
      },
      diffConfig: (_call: unknown, callback: Callback<proto.DiffResponse>) => {
        callback(null, new proto.DiffResponse().setChanges(proto.DiffResponse.DiffChanges.DIFF_NONE));
      },
      configure: (
        call: grpc.ServerUnaryCall<proto.ConfigureRequest, proto.ConfigureResponse>,
        callback: Callback<proto.ConfigureResponse>,
      ) => {
        answer(callback, async () => {
          await this.configure(plain(call.request.getArgs()), call.request.getName());
          // No secrets, resources or outputs in requests: the engine keeps secretness itself.
          return new proto.ConfigureResponse()
            .setAcceptsecrets(false)
            .setAcceptresources(false)
            .setAcceptoutputs(false);
        });
      },
      check: (
        call: grpc.ServerUnaryCall<proto.CheckRequest, proto.CheckResponse>,
        callback: Callback<proto.CheckResponse>,
      ) => {
        callback(null, new proto.CheckResponse().setInputs(call.request.getNews()));
      },
      diff: (
        call: grpc.ServerUnaryCall<proto.DiffRequest, proto.DiffResponse>,
        callback: Callback<proto.DiffResponse>,
      ) => {
        answer(callback, () => {
          const request = call.request;
          const result = this.configured().diff(
            typeOfUrn(request.getUrn()),
            plain(request.getOlds()),
            plain(request.getNews()),
          );
          return new proto.DiffResponse()
            .setChanges(
              result.changes
                ? proto.DiffResponse.DiffChanges.DIFF_SOME
                : proto.DiffResponse.DiffChanges.DIFF_NONE,
            )
            .setReplacesList(result.replaces)
            .setDiffsList(result.diffs)
            .setHasdetaileddiff(false);
        });
      },
      create: (
        call: grpc.ServerUnaryCall<proto.CreateRequest, proto.CreateResponse>,
        callback: Callback<proto.CreateResponse>,
      ) => {
        answer(callback, async () => {
          const request = call.request;
          const type = typeOfUrn(request.getUrn());
          if (request.getPreview())
            return new proto.CreateResponse().setId("").setProperties(request.getProperties());
          const { id, outs } = await this.configured().create(type, plain(request.getProperties()));
          return new proto.CreateResponse().setId(id).setProperties(struct(outs));
        });
      },
      read: (
        call: grpc.ServerUnaryCall<proto.ReadRequest, proto.ReadResponse>,
        callback: Callback<proto.ReadResponse>,
      ) => {
        answer(callback, async () => {
          const request = call.request;
          const found = await this.configured().read(typeOfUrn(request.getUrn()), request.getId(), {
            ...plain(request.getInputs()),
            ...plain(request.getProperties()),
          });
          if (found === undefined) return new proto.ReadResponse().setId("");
          return new proto.ReadResponse()
            .setId(found.id)
            .setProperties(struct(found.props))
            .setInputs(struct(found.inputs));
        });
      },
      update: (
        call: grpc.ServerUnaryCall<proto.UpdateRequest, proto.UpdateResponse>,
        callback: Callback<proto.UpdateResponse>,
      ) => {
        answer(callback, async () => {
          const request = call.request;
          if (request.getPreview()) return new proto.UpdateResponse().setProperties(request.getNews());
          const outs = await this.configured().update(
            typeOfUrn(request.getUrn()),
            request.getId(),
            plain(request.getOlds()),
            plain(request.getNews()),
          );
          return new proto.UpdateResponse().setProperties(struct(outs));
        });
      },
      delete: (call: grpc.ServerUnaryCall<proto.DeleteRequest, Empty>, callback: Callback<Empty>) => {
        answer(callback, async () => {
          const request = call.request;
          await this.configured().delete(
            typeOfUrn(request.getUrn()),
            request.getId(),
            plain(request.getProperties()),
          );
          return new Empty();
        });
      },
      invoke: (
        call: grpc.ServerUnaryCall<proto.InvokeRequest, proto.InvokeResponse>,
        callback: Callback<proto.InvokeResponse>,
      ) => {
        answer(callback, async () => {
          const outputs = await this.configured().invoke(
            call.request.getTok(),
            plain(call.request.getArgs()),
          );
          return new proto.InvokeResponse().setReturn(struct(outputs));
        });
      },
      cancel: (_call: unknown, callback: Callback<Empty>) => callback(null, new Empty()),
      attach: (_call: unknown, callback: Callback<Empty>) => callback(null, new Empty()),
    };
    return implementation;
  }
}

function main(): void {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(services.ResourceProviderService, new OciPlugin().service());
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
      process.stderr.write(`the oci plugin could not listen: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    // The engine reads the port from the first line of stdout (pulumi/pulumi sdk/go/common/resource/plugin/plugin.go).
    process.stdout.write(`${port}\n`);
  });
}

main();
