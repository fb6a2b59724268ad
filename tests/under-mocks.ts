/**
 * Runs a few kit calls under the same mock runtime as the stack renders, for tests that build single
 * resources by hand rather than a whole stack.
 */
import { loadConfig } from "../components/config/schema";
import { Rendered, renderConfig, stackSettings } from "./harness";

/** What `program` registered; it runs once, synchronously, like the real program. */
export async function underMocks(program: () => void): Promise<Rendered> {
  return renderConfig(loadConfig("dev", stackSettings("dev")), () => {
    program();
    return { tier: "", deployMode: "", namespaces: {}, deployed: [], endpoints: {}, urls: {}, posthogHealthUrl: "" };
  });
}
