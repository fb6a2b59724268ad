// Quantities are arithmetic the kit needs too; the config reads them from there.
export * from "../kit/quantity";
