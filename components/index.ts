export * from "./oicConfidentialClient";
export * from "./instanceFacts";
