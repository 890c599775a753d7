/**
 * Everything the benchmark starts registers its own teardown here; `run` tears down in reverse
 * order even when a phase failed, so no browser, server or child process outlives the run.
 */
export class Cleanup {
  #steps: { name: string; fn: () => unknown }[] = [];

  add(name: string, fn: () => unknown): void {
    this.#steps.push({ name, fn });
  }

  /** Runs one registered step early (e.g. a phase's browser contexts) and forgets it. */
  async now(name: string): Promise<void> {
    const index = this.#steps.map((step) => step.name).lastIndexOf(name);
    if (index < 0) return;
    const [step] = this.#steps.splice(index, 1);
    await step!.fn();
  }

  async all(): Promise<string[]> {
    const errors: string[] = [];
    while (this.#steps.length > 0) {
      const step = this.#steps.pop()!;
      try {
        await step.fn();
      } catch (error) {
        errors.push(`cleanup ${step.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return errors;
  }
}
