// Flat config: typescript-eslint's type-aware rules catch floating promises and unsafe `any`,
// the two mistakes that hurt most in Pulumi programs and network code.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      ".engine/**",
      "node_modules/",
      "dist/",
      "coverage/",
      "**/*.js",
      "**/*.mjs",
      "**/*.cjs",
      "**/*.mts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // One program, the root tsconfig's, for every file. The project service gives each file the program of its
      // nearest tsconfig.json, and components/ has its own (the component package's, same options), so
      // @pulumi/oci's 43 MB of declarations were parsed twice: 10 s more of a 33 s lint, for the same findings.
      // https://typescript-eslint.io/packages/parser/#project
      parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "exit", message: "Return an exit code from the CLI's main instead." },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "Property[key.name='rejectUnauthorized'][value.value=false]",
          message: "TLS verification is never disabled; pass the CA instead.",
        },
      ],
    },
  },
  {
    files: ["tests/**/*.ts", "tools/**/*.ts"],
    rules: {
      "@typescript-eslint/unbound-method": "off",
      "no-restricted-properties": "off",
    },
  },
);
