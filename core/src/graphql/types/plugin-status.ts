import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { PluginState as SdkPluginState } from '@caregraph/plugin-sdk';

/** GraphQL enum of the plugin lifecycle states (the sdk's `PluginState`). */
export enum PluginState {
  STARTING = 'starting',
  RUNNING = 'running',
  DEGRADED = 'degraded',
  FAILED = 'failed',
  STOPPED = 'stopped',
}
registerEnumType(PluginState, { name: 'PluginState' });

// A compile-time check that the enum and the sdk's state union are the same set.
const _sameStates: Record<SdkPluginState, PluginState> = {
  starting: PluginState.STARTING,
  running: PluginState.RUNNING,
  degraded: PluginState.DEGRADED,
  failed: PluginState.FAILED,
  stopped: PluginState.STOPPED,
};

/** A registered plugin and its lifecycle state. */
@ObjectType({ description: 'A registered plugin and its lifecycle state (admin only).' })
export class PluginStatus {
  @Field()
  id!: string;

  @Field()
  version!: string;

  @Field(() => PluginState)
  state!: PluginState;

  @Field({ nullable: true, description: 'Why it failed or is degraded.' })
  message?: string;

  @Field(() => Int, { description: 'Restarts after a failure since boot.' })
  restarts!: number;

  @Field({ nullable: true, description: 'When a failed plugin is tried again.' })
  nextRestartAt?: Date;

  @Field({ description: 'When it entered its state.' })
  since!: Date;
}
