export * from "./oicConfidentialClient";
export * from "./oicInstance";
