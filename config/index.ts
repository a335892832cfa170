export * from "./types";
export * from "./keys";
export * from "./issues";
export * from "./errors";
export * from "./validate";
export * from "./parse";
export * from "./load";
export * from "./instanceFactRules";
