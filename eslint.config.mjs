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
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
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
    files: ["tests/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/unbound-method": "off",
      "no-restricted-properties": "off",
    },
  },
);
