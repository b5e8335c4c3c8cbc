/** Whether a Workflow instance exists (`get` of an unknown id throws instance.not_found). */
export async function instanceExists(binding: Workflow, id: string): Promise<boolean> {
  try {
    await binding.get(id);
    return true;
  } catch {
    return false;
  }
}
