export * from "./oicConfidentialClient";
export * from "./clientFacts";
export * from "./instanceFacts";
