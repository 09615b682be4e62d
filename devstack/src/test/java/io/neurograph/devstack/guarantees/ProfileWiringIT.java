package io.neurograph.devstack.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Proves that {@code -Pguarantees} picks up this package (the default run leaves it out). */
class ProfileWiringIT {

  @Test
  void runsOnlyUnderTheGuaranteesProfile() {
    assertThat(System.getProperty("devstack.jar")).isNotBlank();
  }
}
