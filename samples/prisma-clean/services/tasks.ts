import { PrismaClient, TaskStatus, type Project, type Task, type User } from "@prisma/client";

/** What the task tracker's screens read, over one PrismaClient. */
export function taskQueries(db: PrismaClient) {
  return {
    /** Sign-in: the user behind an e-mail address. */
    userByEmail(email: string): Promise<User | null> {
      return db.user.findUnique({ where: { email } });
    },

    /** A project by the name its owner gave it (unique per owner). */
    projectByName(ownerId: string, name: string): Promise<Project | null> {
      return db.project.findUnique({ where: { ownerId_name: { ownerId, name } } });
    },

    /** The board: a project's open tasks in one column, newest first. */
    board(projectId: string, status: TaskStatus, take = 50): Promise<Task[]> {
      return db.task.findMany({
        where: { projectId, status },
        orderBy: { createdAt: "desc" },
        take,
      });
    },

    /** "My tasks": what is assigned to someone, in any of some states. */
    assignedTo(assigneeId: string, statuses: TaskStatus[]): Promise<Task[]> {
      return db.task.findMany({ where: { assigneeId, status: { in: statuses } } });
    },

    /** The calendar: tasks due in a period (no index leads with `due_at`). */
    dueBetween(from: Date, to: Date): Promise<Task[]> {
      return db.task.findMany({ where: { dueAt: { gte: from, lt: to } }, orderBy: { dueAt: "asc" } });
    },

    /** The search box: titles containing a word, any case. */
    searchTitles(term: string): Promise<Task[]> {
      return db.task.findMany({
        where: { title: { contains: term, mode: "insensitive" } },
        take: 20,
      });
    },

    /** The project header: how many tasks are done. */
    countDone(projectId: string): Promise<number> {
      return db.task.count({ where: { projectId, status: TaskStatus.DONE } });
    },
  };
}
