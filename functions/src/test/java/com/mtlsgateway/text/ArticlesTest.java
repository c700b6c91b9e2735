package com.mtlsgateway.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArticlesTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      an | Update
      a  | Create
      a  | Delete
      an | ENCRYPTED PRIVATE KEY
      a  | PRIVATE KEY
      an | RSA PRIVATE KEY
      a  | DSA PRIVATE KEY
      an | EC PRIVATE KEY
      an | OPENSSH PRIVATE KEY
      an | X509 CRL
      a  | PKCS7
      a  | DH PARAMETERS
      an | SSH2 PUBLIC KEY
      a  | NEW CERTIFICATE REQUEST
      a  | CERTIFICATE REQUEST
      a  | TRUSTED CERTIFICATE
      an | ATTRIBUTE CERTIFICATE
      a  | PGP PUBLIC KEY BLOCK
      an | (unreadable label)
      a  | GET
      a  | POST
      a  | HEAD
      an | OPTIONS
      a  | PATCH
      a  | URL
      an | S3 URI
      a  | user
      an | 8-bit key
      a  | ''
      """)
  void theArticleFollowsTheSoundOfTheFirstWord(String article, String phrase) {
    String text = phrase == null ? "" : phrase;
    assertThat(Articles.indefinite(text)).isEqualTo(article);
    assertThat(Articles.withIndefinite(text)).isEqualTo(article + " " + text);
  }
}
