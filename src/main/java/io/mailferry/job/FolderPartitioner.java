package io.mailferry.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per selectable folder of the plan (and per folder the destination refused).
 * Partition names are stable (the folder's position in the saved plan), so a restart finds each
 * folder's own checkpoint.
 */
class FolderPartitioner implements Partitioner {

  static final String FOLDER_KEY = "folder";
  private static final String PARTITION_PREFIX = "folder-";

  private final List<FolderPlan> plan;

  FolderPartitioner(String planJson) {
    this.plan = FolderPlan.listFromJson(planJson);
  }

  /** The folder of a partition step named like "copyFolder:folder-00007". */
  static FolderPlan folderOf(String stepName, String planJson) {
    int index = Integer.parseInt(stepName.substring(stepName.lastIndexOf('-') + 1));
    return FolderPlan.listFromJson(planJson).get(index);
  }

  @Override
  public Map<String, ExecutionContext> partition(int gridSize) {
    Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
    for (int i = 0; i < plan.size(); i++) {
      FolderPlan folder = plan.get(i);
      // A folder the destination refused gets its partition too: it fails there, named in the
      // report.
      if (folder.selectable() || folder.refusal() != null) {
        ExecutionContext context = new ExecutionContext();
        // Only a label for people reading the job store: a partition finds its folder in the
        // job's saved plan by its name (see folderOf), since its own context may be lost in a
        // crash.
        context.putString(FOLDER_KEY, folder.sourceLabel());
        partitions.put(String.format("%s%05d", PARTITION_PREFIX, i), context);
      }
    }
    return partitions;
  }
}
