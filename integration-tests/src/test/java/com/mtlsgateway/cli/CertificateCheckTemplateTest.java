package com.mtlsgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What {@code bin/mtls certificate check} says about the template holds for template.yaml. */
class CertificateCheckTemplateTest {

  @Test
  void theOwnershipNoteNamesATemplateParameter() throws IOException {
    String root = System.getProperty("project.root");
    assertThat(root).as("system property project.root (set by integration-tests/pom.xml)").isNotNull();
    String template = Files.readString(Path.of(root).resolve("template.yaml"));
    String parameters = template.substring(template.indexOf("\nParameters:\n"), template.indexOf("\nResources:\n"));

    assertThat(parameters).contains("\n  " + CertificateCommand.OWNERSHIP_PARAMETER + ":\n    Type: String\n");
    assertThat(CertificateCommand.OWNERSHIP_NOTE).contains(CertificateCommand.OWNERSHIP_PARAMETER);
  }
}
