import type { PluginMetrics } from '@caregraph/plugin-sdk';

/** One metric series: a plugin's counter or histogram with its labels. */
export interface MetricSample {
  plugin: string;
  name: string;
  kind: 'counter' | 'histogram';
  labels: Record<string, string>;
  /** The counter's total, or the sum of the observations. */
  value: number;
  count: number;
}

/**
 * Holds the plugins' metrics in memory, labelled with the plugin id. (The hub has no Prometheus
 * `/metrics` endpoint yet; when it gets one, it exports `samples()`.)
 */
export class PluginMetricsRegistry {
  private readonly series = new Map<string, MetricSample>();

  forPlugin(plugin: string): PluginMetrics {
    const record = (kind: MetricSample['kind'], name: string, value: number, labels = {}) => {
      const key = JSON.stringify([plugin, kind, name, labels]);
      const sample = this.series.get(key) ?? { plugin, name, kind, labels, value: 0, count: 0 };
      sample.value += value;
      sample.count += 1;
      this.series.set(key, sample);
    };
    return {
      increment: (name, value = 1, labels) => record('counter', name, value, labels),
      observe: (name, value, labels) => record('histogram', name, value, labels),
    };
  }

  samples(): MetricSample[] {
    return [...this.series.values()].map((sample) => ({ ...sample }));
  }
}
