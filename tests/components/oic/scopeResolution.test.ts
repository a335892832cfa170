import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { problemsOf } from "./problems";
import { Probe } from "../../../components/oic/probes";
import {
  resolveFullyQualifiedScopes,
  tokenScope,
  type ResolvedScope,
} from "../../../components/oic/scopeResolution";
import { fullyQualifiedScope, OicScope } from "../../../components/oic/scopes";

const APP_ID = "0123456789abcdef0123456789abcdef";
const AUDIENCE = "https://ABCDEF0123456789ABCDEF0123456789.integration.us-ashburn-1.ocp.oraclecloud.com:443";
const CONSUMER_ALL = `${AUDIENCE}urn:opc:resource:consumer::all`;
const IC_API = `${AUDIENCE}/ic/api/`;

const published = {
  audience: AUDIENCE,
  scopes: [
    { value: "urn:opc:resource:consumer::all", fqs: CONSUMER_ALL },
    { value: "/ic/api/", fqs: IC_API },
  ],
};

describe("resolveFullyQualifiedScopes", () => {
  it("takes the fqs the OIC app publishes, in the order the client wants them", () => {
    expect(
      resolveFullyQualifiedScopes({ oicAppId: APP_ID, app: published, wanted: ["icApi", "consumerAll"] }),
    ).toEqual([
      { kind: "icApi", value: "/ic/api/", fqs: IC_API },
      { kind: "consumerAll", value: "urn:opc:resource:consumer::all", fqs: CONSUMER_ALL },
    ]);
  });

  it("reads an app with an empty id as missing: the provider turns the domain's 404 into an empty result", () => {
    expect(
      problemsOf(() => resolveFullyQualifiedScopes({ oicAppId: APP_ID, app: { id: "" }, wanted: ["icApi"] })),
    ).toEqual([
      `The identity domain has no app ${APP_ID}: check that the OIC app id (the instance's idcsInfos[0].idcsAppId, 32 hex, under Oracle Cloud Services) belongs to this identity domain.`,
    ]);
  });

  it("builds audience + value when the app lists a scope without its fqs", () => {
    const app = { audience: AUDIENCE, scopes: [{ value: "/ic/api/" }] };
    expect(resolveFullyQualifiedScopes({ oicAppId: APP_ID, app, wanted: ["icApi"] })).toEqual([
      { kind: "icApi", value: "/ic/api/", fqs: IC_API },
    ]);
    expect(
      resolveFullyQualifiedScopes({
        oicAppId: APP_ID,
        app: { scopes: [{ value: "/ic/api/", fqs: "" }] },
        wanted: ["icApi"],
        expectedAudience: AUDIENCE,
      }),
    ).toEqual([{ kind: "icApi", value: "/ic/api/", fqs: IC_API }]);
  });

  it("finds a published scope by its fqs when the app omits the bare value", () => {
    const app = { audience: AUDIENCE, scopes: [{ fqs: IC_API }] };
    expect(resolveFullyQualifiedScopes({ oicAppId: APP_ID, app, wanted: ["icApi"] })).toEqual([
      { kind: "icApi", value: "/ic/api/", fqs: IC_API },
    ]);
  });

  it("refuses a scope the app does not publish, listing what it does publish", () => {
    const app = {
      audience: AUDIENCE,
      scopes: [{ value: "urn:opc:resource:consumer::all", fqs: CONSUMER_ALL }],
    };
    expect(
      problemsOf(() =>
        resolveFullyQualifiedScopes({ oicAppId: APP_ID, app, wanted: ["consumerAll", "icApi"] }),
      ),
    ).toEqual([
      `The OIC app ${APP_ID} does not publish the scope "/ic/api/" (icApi); it publishes "urn:opc:resource:consumer::all". ` +
        `Check that ${APP_ID} is the integration instance's app, or remove "icApi" from the client's scopes.`,
    ]);
    expect(
      problemsOf(() => resolveFullyQualifiedScopes({ oicAppId: APP_ID, app: {}, wanted: ["icApi"] })),
    ).toEqual([
      `The OIC app ${APP_ID} does not publish the scope "/ic/api/" (icApi); it publishes no scopes. ` +
        `Check that ${APP_ID} is the integration instance's app, or remove "icApi" from the client's scopes.`,
    ]);
  });

  it("refuses an app whose audience is not the instance's primary audience", () => {
    const other = "https://FFFF.integration.us-phoenix-1.ocp.oraclecloud.com:443";
    expect(
      problemsOf(() =>
        resolveFullyQualifiedScopes({
          oicAppId: APP_ID,
          app: published,
          wanted: ["icApi"],
          expectedAudience: other,
        }),
      ),
    ).toEqual([
      `The OIC app ${APP_ID} publishes the audience "${AUDIENCE}", but the integration instance's primary audience ` +
        `is "${other}". Fully qualified scopes must match the instance's primary audience: check that ${APP_ID} is ` +
        "this instance's app (idcsInfos[0].idcsAppId), or correct the audience.",
    ]);
  });

  it("accepts a primary audience that differs only by the default port", () => {
    const withoutPort = AUDIENCE.replace(":443", "");
    expect(
      resolveFullyQualifiedScopes({
        oicAppId: APP_ID,
        app: published,
        wanted: ["icApi"],
        expectedAudience: withoutPort,
      }),
    ).toEqual([{ kind: "icApi", value: "/ic/api/", fqs: IC_API }]);
  });

  it("cannot build an fqs without any audience", () => {
    expect(
      problemsOf(() =>
        resolveFullyQualifiedScopes({
          oicAppId: APP_ID,
          app: { scopes: [{ value: "/ic/api/" }] },
          wanted: ["icApi"],
        }),
      ),
    ).toEqual([
      `The OIC app ${APP_ID} publishes the scope "/ic/api/" without its fully qualified form (fqs), and no audience ` +
        "is known to build it. Provide the instance's primary audience.",
    ]);
  });

  it("fqs = audience + value with no separator, for any audience (property)", () => {
    const audience = fc
      .tuple(fc.stringMatching(/^[A-F0-9]{8,32}$/), fc.stringMatching(/^[a-z]{2}-[a-z]{4,9}-[1-9]$/))
      .map(([guid, region]) => `https://${guid}.integration.${region}.ocp.oraclecloud.com:443`);
    fc.assert(
      fc.property(audience, (aud) => {
        const resolved = resolveFullyQualifiedScopes({
          oicAppId: APP_ID,
          app: { audience: aud, scopes: [{ value: OicScope.consumerAll }, { value: OicScope.icApi }] },
          wanted: ["consumerAll", "icApi"],
        });
        return (
          resolved.length === 2 &&
          resolved.every(
            (scope) => scope.fqs === aud + scope.value && scope.fqs === fullyQualifiedScope(aud, scope.value),
          )
        );
      }),
    );
  });
});

describe("tokenScope", () => {
  const both: ResolvedScope[] = [
    { kind: "consumerAll", value: OicScope.consumerAll, fqs: CONSUMER_ALL },
    { kind: "icApi", value: OicScope.icApi, fqs: IC_API },
  ];
  it("asks the connections probe's token for /ic/api/, the narrowest scope for the Developer API", () => {
    expect(tokenScope(Probe.connections, both)).toBe(IC_API);
  });
  it("asks an invoke-only client's token for consumer::all, which covers integration endpoints", () => {
    expect(tokenScope(Probe.token, both)).toBe(CONSUMER_ALL);
    expect(tokenScope(Probe.none, both)).toBe(CONSUMER_ALL);
  });
  it("falls back to the one scope the client has", () => {
    expect(tokenScope(Probe.connections, [both[0]!])).toBe(CONSUMER_ALL);
    expect(tokenScope(Probe.token, [both[1]!])).toBe(IC_API);
  });
  it("refuses a client without scopes", () => {
    expect(problemsOf(() => tokenScope(Probe.token, []))).toEqual([
      "A client needs at least one scope to request a token; it has none.",
    ]);
  });
});
