package com.mtlsgateway.revocation.crac;

import java.util.ArrayList;
import java.util.List;

/** As {@code jdk.crac.Core}: one global context; a checkpoint and restore runs the hooks, in registration order. */
public final class Core {

  private static final Global GLOBAL = new Global();

  private Core() {}

  public static Context<Resource> getGlobalContext() {
    return GLOBAL;
  }

  /** Runs every registered resource's beforeCheckpoint, then (as after a restore) every afterRestore. */
  public static void checkpointRestore() throws CheckpointException, RestoreException {
    List<Resource> resources = GLOBAL.resources();
    for (Resource resource : resources) {
      try {
        resource.beforeCheckpoint(GLOBAL);
      } catch (Exception e) {
        CheckpointException failed = new CheckpointException();
        failed.addSuppressed(e);
        throw failed;
      }
    }
    for (Resource resource : resources) {
      try {
        resource.afterRestore(GLOBAL);
      } catch (Exception e) {
        RestoreException failed = new RestoreException();
        failed.addSuppressed(e);
        throw failed;
      }
    }
  }

  private static final class Global extends Context<Resource> {
    private final List<Resource> resources = new ArrayList<>();

    @Override
    public synchronized void register(Resource resource) {
      resources.add(resource);
    }

    synchronized List<Resource> resources() {
      return List.copyOf(resources);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {}

    @Override
    public void afterRestore(Context<? extends Resource> context) {}
  }
}
