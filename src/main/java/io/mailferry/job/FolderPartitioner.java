package io.mailferry.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per selectable folder of the plan. Partition names are stable (the folder's
 * position in the saved plan), so a restart finds each folder's own checkpoint.
 */
class FolderPartitioner implements Partitioner {

  static final String FOLDER_KEY = "folder";

  private final List<FolderPlan> plan;

  FolderPartitioner(String planJson) {
    this.plan = FolderPlan.listFromJson(planJson);
  }

  @Override
  public Map<String, ExecutionContext> partition(int gridSize) {
    Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
    for (int i = 0; i < plan.size(); i++) {
      FolderPlan folder = plan.get(i);
      if (folder.selectable()) {
        ExecutionContext context = new ExecutionContext();
        context.putString(FOLDER_KEY, FolderPlan.toJson(folder));
        partitions.put(String.format("folder-%05d", i), context);
      }
    }
    return partitions;
  }
}
