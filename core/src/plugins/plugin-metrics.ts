import { Counter, Histogram, type Registry } from 'prom-client';
import type { PluginMetrics } from '@caregraph/plugin-sdk';
import { PluginError } from './plugin-error.js';

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

/** Prometheus name prefix of plugin metrics: `caregraph_plugin_<name>{plugin="<id>"}`. */
export const PLUGIN_METRIC_PREFIX = 'caregraph_plugin_';
const METRIC_NAME = /^[a-z][a-z0-9_]{0,99}$/;
const LABEL_NAME = /^[a-z][a-z0-9_]{0,49}$/;

interface Exported {
  kind: MetricSample['kind'];
  labelNames: string[];
  /** Absent without a Prometheus registry. */
  metric?: Counter | Histogram;
}

/**
 * Holds the plugins' metrics, labelled with the plugin id: in memory (`samples()`), and in the
 * hub's Prometheus registry when there is one (`/metrics`). Names and label names are checked
 * (snake_case; `plugin` is the hub's label) and a metric keeps the kind and label names of its
 * first use: a mismatch throws `CG_ERR_PLUGIN_INVALID_DEFINITION` at the call.
 */
export class PluginMetricsRegistry {
  private readonly series = new Map<string, MetricSample>();
  private readonly exported = new Map<string, Exported>();

  constructor(private readonly registry?: Registry) {}

  forPlugin(plugin: string): PluginMetrics {
    const record = (
      kind: MetricSample['kind'],
      name: string,
      value: number,
      labels: Record<string, string> = {},
    ) => {
      this.export(plugin, kind, name, value, labels);
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

  private export(
    plugin: string,
    kind: MetricSample['kind'],
    name: string,
    value: number,
    labels: Record<string, string>,
  ): void {
    const invalid = (problem: string) =>
      PluginError.invalidDefinition(['metrics', name], plugin, problem);
    if (!METRIC_NAME.test(name))
      throw invalid(`metric name "${name}" must be snake_case (a-z, 0-9, _), at most 100.`);
    const labelNames = Object.keys(labels).sort();
    const badLabel = labelNames.find((label) => !LABEL_NAME.test(label) || label === 'plugin');
    if (badLabel !== undefined)
      throw invalid(`label "${badLabel}" must be snake_case and not "plugin" (the hub's label).`);
    if (!Number.isFinite(value) || (kind === 'counter' && value < 0))
      throw invalid(
        `value ${value} must be a finite number${kind === 'counter' ? ', 0 or more' : ''}.`,
      );
    const existing = this.exported.get(name);
    if (existing && (existing.kind !== kind || existing.labelNames.join() !== labelNames.join()))
      throw invalid(
        `metric "${name}" is a ${existing.kind} with labels [${existing.labelNames.join(', ')}]; use the same kind and labels every time.`,
      );
    const entry = existing ?? this.create(kind, name, labelNames);
    const values = { ...labels, plugin };
    if (entry.metric instanceof Counter) entry.metric.inc(values, value);
    else entry.metric?.observe(values, value);
  }

  private create(kind: MetricSample['kind'], name: string, labelNames: string[]): Exported {
    const options = {
      name: `${PLUGIN_METRIC_PREFIX}${name}`,
      help: `Plugin ${kind} ${name} (PluginContext.metrics).`,
      labelNames: ['plugin', ...labelNames],
      registers: this.registry ? [this.registry] : [],
    };
    const metric = !this.registry
      ? undefined
      : kind === 'counter'
        ? new Counter(options)
        : new Histogram(options);
    const entry = { kind, labelNames, metric };
    this.exported.set(name, entry);
    return entry;
  }
}
