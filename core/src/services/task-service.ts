import {
  CarePlan,
  CareTeam,
  Patient,
  Practitioner,
  RequestPriority,
  Task,
  TaskStatus,
  type CreateTaskInput,
} from '@caregraph/schema';
import type { AuthenticatedContext } from '../context/request-context.js';
import { ConflictError, NotFoundError } from '../errors/caregraph-error.js';
import { write } from './transaction.js';
import { requireAccess } from '../security/require-access.js';

const CLOSED_TASK_STATUSES: readonly TaskStatus[] = [
  TaskStatus.COMPLETED,
  TaskStatus.CANCELLED,
  TaskStatus.FAILED,
  TaskStatus.REJECTED,
  TaskStatus.ENTERED_IN_ERROR,
];

/** Creates a task about a patient, for a practitioner or a care team. */
export async function createTask(ctx: AuthenticatedContext, input: CreateTaskInput): Promise<Task> {
  return write(ctx, async (scope) => {
    const patient = await scope.em.findOne(Patient, input.patientId);
    if (!patient) throw NotFoundError.record('Patient', input.patientId);
    if (!patient.active)
      throw ConflictError.because('This patient record is inactive (merged).', {
        path: ['input', 'patientId'],
      });
    const owner = input.ownerPractitionerId
      ? await scope.em.findOne(Practitioner, input.ownerPractitionerId)
      : undefined;
    if (input.ownerPractitionerId && !owner)
      throw NotFoundError.record('Practitioner', input.ownerPractitionerId);
    const ownerTeam = input.ownerCareTeamId
      ? await scope.em.findOne(CareTeam, input.ownerCareTeamId)
      : undefined;
    if (input.ownerCareTeamId && !ownerTeam)
      throw NotFoundError.record('CareTeam', input.ownerCareTeamId);
    const carePlan = input.carePlanId
      ? await scope.em.findOne(CarePlan, { id: input.carePlanId, patient })
      : undefined;
    if (input.carePlanId && !carePlan) throw NotFoundError.record('CarePlan', input.carePlanId);
    const task = scope.em.create(Task, {
      tenantId: ctx.tenantId,
      patient,
      title: input.title,
      description: input.description,
      priority: input.priority ?? RequestPriority.ROUTINE,
      status: TaskStatus.REQUESTED,
      dueAt: input.dueAt,
      owner: owner ?? undefined,
      ownerTeam: ownerTeam ?? undefined,
      carePlan: carePlan ?? undefined,
      requesterUserId: ctx.actor.userId,
    });
    scope.audit({
      action: 'C',
      type: 'task.create',
      entity: `Task/${task.id}`,
      patientId: patient.id,
    });
    scope.provenance(`Task/${task.id}`, 'create');
    return task;
  });
}

/** Marks an open task completed, with an optional outcome note. */
export async function completeTask(
  ctx: AuthenticatedContext,
  id: string,
  outcome?: string,
): Promise<Task> {
  return write(ctx, async (scope) => {
    const task = await scope.em.findOne(Task, id);
    if (!task) throw NotFoundError.record('Task', id);
    await requireAccess(ctx, scope.em, task.patient.id, 'clinical', 'write');
    if (CLOSED_TASK_STATUSES.includes(task.status as TaskStatus)) {
      throw ConflictError.because(`The task is already ${task.status}.`, { status: task.status });
    }
    task.status = TaskStatus.COMPLETED;
    task.completedAt = new Date();
    task.outcome = outcome;
    scope.audit({
      action: 'U',
      type: 'task.complete',
      entity: `Task/${id}`,
      patientId: task.patient.id,
    });
    scope.provenance(`Task/${id}`, 'update', 'completed');
    return task;
  });
}
