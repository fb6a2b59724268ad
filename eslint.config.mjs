import tseslint from "typescript-eslint";

export default tseslint.config({ ignores: ["node_modules/**", "policy/node_modules/**", "bin/**", "policy/bin/**", "rendered/**"] }, ...tseslint.configs.recommended, {
  rules: {
    "@typescript-eslint/no-explicit-any": "off",
    "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    "prefer-const": "error",
    eqeqeq: ["error", "always"],
    "no-console": "off",
  },
});
