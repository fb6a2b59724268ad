/**
 * The root component: creates the layers the deploy mode selected and wires their typed outputs.
 * This is the only place where one layer's outputs become another layer's inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { CATALOG, NamespaceRole, ServiceName } from "./config/catalog";
import { PlatformConfig } from "./config/schema";
import { BUILT, Endpoints, LayerArgs } from "./layers/context";
import { AppsLayer } from "./layers/apps";
import { BackupLayer } from "./layers/backup";
import { Prerequisites } from "./layers/prerequisites";
import { StorageLayer } from "./layers/storage";

export class Platform extends pulumi.ComponentResource {
  /** Client endpoints of every deployed service, by catalog name. */
  readonly endpoints: Endpoints = {};
  /** Services the deploy mode selected whose builders exist. */
  readonly deployed: ServiceName[];
  /** Services the deploy mode selected whose layer is not built yet (their issues are open). */
  readonly planned: ServiceName[];

  constructor(name: string, cfg: PlatformConfig, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:platform:Platform", name, {}, opts);
    this.deployed = cfg.services.filter((s) => BUILT.has(s));
    this.planned = cfg.services.filter((s) => !BUILT.has(s));

    const namespaces = [...new Set(cfg.services.map((s) => CATALOG[s].namespace))] as NamespaceRole[];
    const prerequisites = new Prerequisites("prerequisites", { tier: cfg.tier, services: cfg.services, sizes: cfg.sizes, namespaces }, { parent: this });

    const base: LayerArgs = {
      tier: cfg.tier,
      services: this.deployed,
      sizes: cfg.sizes,
      protectData: cfg.protectData,
      storageClass: cfg.storageClass,
      skipAwait: cfg.cluster.skipAwait,
      externalCharts: cfg.cluster.externalCharts,
      priorityClasses: prerequisites.priorityClasses,
    };
    const after = (...deps: pulumi.Resource[]) => ({ parent: this, dependsOn: [prerequisites, ...deps] });
    const hasLayer = (layer: string) => this.deployed.some((s) => CATALOG[s].layer === layer);

    const storage = hasLayer("storage") ? new StorageLayer("storage", base, after()) : undefined;
    Object.assign(this.endpoints, storage?.endpoints);

    if (hasLayer("apps")) {
      const imageOf = (service: string) => `${cfg.images.registry}/${service}:${cfg.images.tag}`;
      const apps = new AppsLayer(
        "apps",
        { ...base, image: imageOf, endpoints: { ...this.endpoints }, redis: storage?.redis },
        after(...(storage ? [storage] : [])),
      );
      Object.assign(this.endpoints, apps.endpoints);
    }

    if (hasLayer("backup") && storage?.objectStores) {
      new BackupLayer("backup", { ...base, objectStore: storage.objectStores.backup, redis: storage.redis, mirror: cfg.backup.mirror }, after(storage));
    }

    this.registerOutputs({ deployed: this.deployed, planned: this.planned });
  }
}
