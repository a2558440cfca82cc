import { describe, expect, it } from 'vitest';
import { sortTasks, type Task } from './Workspace';

const task = (id: string, createdAt: string, dueDate: string | null = null): Task =>
  ({ taskId: id, processInstanceId: 'p', elementId: 'e', createdAt, dueDate });

describe('sortTasks', () => {
  it('sorts by received date or by due date, tasks without a due date last', () => {
    const tasks = [task('a', '2026-01-03', null), task('b', '2026-01-01', '2026-02-01'), task('c', '2026-01-02', '2026-01-15')];
    expect(sortTasks(tasks, 'created').map((t) => t.taskId)).toEqual(['b', 'c', 'a']);
    expect(sortTasks(tasks, 'due').map((t) => t.taskId)).toEqual(['c', 'b', 'a']);
    expect(tasks.map((t) => t.taskId)).toEqual(['a', 'b', 'c']);
  });
});
