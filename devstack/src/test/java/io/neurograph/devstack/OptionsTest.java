package io.neurograph.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neurograph.devstack.services.Services;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OptionsTest {

  private static Options parse(String... args) throws UsageException {
    return Options.parse(List.of(args), Services.ALL);
  }

  @Test
  void defaults() throws Exception {
    Options options = parse();

    assertThat(options.help()).isFalse();
    assertThat(options.infraOnly()).isFalse();
    assertThat(options.port(Services.GATEWAY)).isEqualTo(8000);
    assertThat(options.port(Services.TOKEN_SERVICE)).isEqualTo(8081);
    assertThat(options.kafkaPort()).isEmpty();
    assertThat(options.dataDir()).isEmpty();
    assertThat(options.logsDir()).isEqualTo(Path.of(".devstack", "logs"));
  }

  @Test
  void everyOptionInBothSpellings() throws Exception {
    Options options = parse("--infra-only", "--gateway-port", "9000", "--token-service-port=9001",
        "--kafka-port=19092", "--data-dir", "/tmp/d", "--logs-dir=/tmp/l");

    assertThat(options.infraOnly()).isTrue();
    assertThat(options.port(Services.GATEWAY)).isEqualTo(9000);
    assertThat(options.port(Services.TOKEN_SERVICE)).isEqualTo(9001);
    assertThat(options.kafkaPort()).isEqualTo(OptionalInt.of(19092));
    assertThat(options.dataDir()).isEqualTo(Optional.of(Path.of("/tmp/d")));
    assertThat(options.logsDir()).isEqualTo(Path.of("/tmp/l"));
  }

  @Test
  void oneInstanceOfEachServiceUnlessToldOtherwise() throws Exception {
    Options options = parse();

    for (var service : Services.ALL) {
      assertThat(options.instances(service)).isEqualTo(1);
      assertThat(options.ports(service)).containsExactly(service.defaultPort());
    }
  }

  @Test
  void severalInstancesListenTenPortsApart() throws Exception {
    Options options = parse("--gateways", "3", "--token-services=2", "--graph-services", "2");

    assertThat(options.instances(Services.GATEWAY)).isEqualTo(3);
    assertThat(options.ports(Services.GATEWAY)).containsExactly(8000, 8001, 8002);
    assertThat(options.ports(Services.TOKEN_SERVICE)).containsExactly(8081, 8091);
    assertThat(options.ports(Services.GRAPH_SERVICE)).containsExactly(8082, 8092);
  }

  @Test
  void theDefaultPortsNeverCollideEvenAtTheMostInstances() throws Exception {
    Options options = parse("--gateways", "8", "--token-services", "8", "--graph-services", "8");

    assertThat(Services.ALL.stream().flatMap(s -> options.ports(s).stream()).toList())
        .hasSize(24).doesNotHaveDuplicates().doesNotContain(9092);
  }

  @Test
  void instancesFollowAMovedFirstPort() throws Exception {
    Options options = parse("--gateways", "2", "--gateway-port", "9000");

    assertThat(options.ports(Services.GATEWAY)).containsExactly(9000, 9001);
  }

  @Test
  void rejectsBadInstanceCounts() {
    for (String bad : List.of("0", "-1", "9", "100", "two", "1.5", "", " ")) {
      assertThatThrownBy(() -> parse("--gateways=" + bad)).as(bad).isInstanceOf(UsageException.class)
          .hasMessage("--gateways needs a number of instances from 1 to 8, not '" + bad + "'");
    }
    assertThatThrownBy(() -> parse("--token-services")).isInstanceOf(UsageException.class)
        .hasMessage("--token-services needs a value");
    assertThatThrownBy(() -> parse("--graph-services", "--infra-only")).isInstanceOf(UsageException.class)
        .hasMessage("--graph-services needs a value");
    assertThatThrownBy(() -> parse("--gateway", "2")).isInstanceOf(UsageException.class)
        .hasMessage("unknown option --gateway");
  }

  @Test
  void rejectsInstancesThatWouldRunPastTheLastPort() {
    assertThatThrownBy(() -> parse("--token-services", "3", "--token-service-port", "65520"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--token-services 3 needs ports 65520 to 65540 (one every 10), beyond 65535; lower "
            + "--token-service-port");
  }

  @Test
  void rejectsAnInstanceOnAnotherServicesPort() {
    assertThatThrownBy(() -> parse("--gateways", "2", "--token-service-port", "8001"))
        .isInstanceOf(UsageException.class)
        .hasMessage("gateway-2 (--gateway-port + 1) and --token-service-port both use port 8001");
    assertThatThrownBy(() -> parse("--token-services", "2", "--kafka-port", "8091"))
        .isInstanceOf(UsageException.class)
        .hasMessage("token-service-2 (--token-service-port + 10) and --kafka-port both use port 8091");
  }

  @Test
  void help() throws Exception {
    assertThat(parse("--help").help()).isTrue();
    assertThat(parse("-h").help()).isTrue();
  }

  @Test
  void rejectsWhatItDoesNotUnderstand() {
    assertThatThrownBy(() -> parse("--verbose")).isInstanceOf(UsageException.class)
        .hasMessage("unknown option --verbose");
    assertThatThrownBy(() -> parse("start")).isInstanceOf(UsageException.class)
        .hasMessage("unexpected argument start");
    assertThatThrownBy(() -> parse("--gateway-port")).isInstanceOf(UsageException.class)
        .hasMessage("--gateway-port needs a value");
    assertThatThrownBy(() -> parse("--data-dir", "--infra-only")).isInstanceOf(UsageException.class)
        .hasMessage("--data-dir needs a value");
    assertThatThrownBy(() -> parse("--kafka-port", "abc")).isInstanceOf(UsageException.class)
        .hasMessage("--kafka-port needs a port number (1-65535), not 'abc'");
    assertThatThrownBy(() -> parse("--gateway-port=70000")).isInstanceOf(UsageException.class)
        .hasMessageContaining("not '70000'");
    assertThatThrownBy(() -> parse("--infra-only=yes")).isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> parse("--logs-dir=")).isInstanceOf(UsageException.class)
        .hasMessage("--logs-dir needs a directory");
  }

  @Test
  void rejectsTwoServersOnOnePort() {
    assertThatThrownBy(() -> parse("--token-service-port", "8000")).isInstanceOf(UsageException.class)
        .hasMessage("--gateway-port and --token-service-port both use port 8000");
    assertThatThrownBy(() -> parse("--kafka-port", "8081")).isInstanceOf(UsageException.class)
        .hasMessage("--token-service-port and --kafka-port both use port 8081");
  }

  @Test
  void usageListsAPortOptionPerService() {
    String usage = Options.usage(Services.ALL);

    assertThat(usage).contains("--gateway-port N", "--token-service-port N", "--infra-only", "--kafka-port N",
        "--data-dir DIR", "--logs-dir DIR", "--gateways N", "--token-services N", "--graph-services N",
        "NEUROGRAPH_KAFKA_BOOTSTRAP", "NEUROGRAPH_POSTGRES_URL",
        "NEUROGRAPH_REDIS_URL", "NEUROGRAPH_SERVICE_JARS");
  }
}
