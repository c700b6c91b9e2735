package com.mtlsgateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Security;
import java.security.Signature;
import org.junit.jupiter.api.Test;

/**
 * Runs on every platform: where ACCP loads (Linux on the architecture of its jar) it must end up first and serve
 * signatures; elsewhere the JDK must, with the reason said.
 */
class CryptoProvidersTest {

  @Test
  void installSaysTruthfullyWhichProviderServesSignatures() throws Exception {
    CryptoProviders.Choice choice = CryptoProviders.install();

    String first = Signature.getInstance("SHA256withECDSA").getProvider().getName();
    if (choice.accelerated()) {
      assertThat(Security.getProviders()[0].getName()).isEqualTo(CryptoProviders.ACCP_NAME);
      assertThat(choice.description()).startsWith(CryptoProviders.ACCP_NAME + " ");
      assertThat(choice.reason()).isNull();
    } else {
      assertThat(Security.getProvider(CryptoProviders.ACCP_NAME)).isNull();
      assertThat(choice.description()).startsWith("JDK (").contains(first);
      assertThat(choice.reason()).isNotBlank();
    }
    assertThat(CryptoProviders.install()).isSameAs(choice);
    assertThat(CryptoProviders.current()).isSameAs(choice);
  }
}
