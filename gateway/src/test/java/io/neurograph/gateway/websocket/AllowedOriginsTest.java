package io.neurograph.gateway.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Origin patterns: exact, host wildcard, case, and what a wildcard must not swallow. */
class AllowedOriginsTest {

  @Test
  void anEmptyListAllowsEveryOrigin() {
    assertThat(new AllowedOrigins(List.of()).allows("https://evil.example")).isTrue();
  }

  @Test
  void exactOriginsMatchSchemeHostAndPort() {
    AllowedOrigins origins = new AllowedOrigins(List.of("https://app.example.com", "http://localhost:3000/"));
    assertThat(origins.allows("https://app.example.com")).isTrue();
    assertThat(origins.allows("HTTPS://App.Example.com")).isTrue();
    assertThat(origins.allows("http://localhost:3000")).isTrue();
    assertThat(origins.allows("http://app.example.com")).isFalse();
    assertThat(origins.allows("https://app.example.com:8443")).isFalse();
    assertThat(origins.allows("http://localhost:3001")).isFalse();
    assertThat(origins.allows("https://app.example.com.evil.com")).isFalse();
    assertThat(origins.allows("null")).isFalse();
  }

  @Test
  void aHostWildcardMatchesSubdomainsOnly() {
    AllowedOrigins origins = new AllowedOrigins(List.of("https://*.example.com"));
    assertThat(origins.allows("https://a.example.com")).isTrue();
    assertThat(origins.allows("https://a.b.example.com")).isTrue();
    assertThat(origins.allows("https://example.com")).isFalse();
    assertThat(origins.allows("https://evil.com/.example.com")).isFalse();
    assertThat(origins.allows("https://evil.com:1@a.example.com")).isFalse();
    assertThat(origins.allows("https://aexample.com")).isFalse();
    assertThat(origins.allows("http://a.example.com")).isFalse();
    assertThat(origins.allows("https://a.example.com:444")).isFalse();
  }
}
