package com.mtlsgateway.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the files named on the command line, with messages a user can act on. */
public final class InputFiles {

  /** Far above any truststore (1 MB quota) or event (a few KB): a guard against reading a wrong file into memory. */
  public static final long MAX_BYTES = 64L * 1024 * 1024;

  private InputFiles() {}

  public static byte[] read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException("is a directory");
    }
    if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
      throw new IOException("larger than " + MAX_BYTES / (1024 * 1024) + " MiB, which is no truststore or event");
    }
    return Files.readAllBytes(file);
  }

  public static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
