package io.neurograph.devstack.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServicesTest {

  @Test
  void theServicesStartBeforeTheGatewayOnTheAgreedPorts() {
    assertThat(Services.ALL).extracting(ServiceSpec::name).containsExactly("token-service", "graph-service", "gateway");
    assertThat(Services.GRAPH_SERVICE.defaultPort()).isEqualTo(8082);
    assertThat(Services.GATEWAY.defaultPort()).isEqualTo(8000);
    assertThat(Services.TOKEN_SERVICE.defaultPort()).isEqualTo(8081);
    assertThat(Services.ALL).extracting(ServiceSpec::defaultPort).doesNotHaveDuplicates();
  }

  @Test
  void optionJarAndLinksFollowFromTheEntry() {
    assertThat(Services.TOKEN_SERVICE.portOption()).isEqualTo("--token-service-port");
    assertThat(Services.GATEWAY.jarName()).isEqualTo("gateway.jar");
    assertThat(Services.GATEWAY.links()).extracting(l -> l.url(8000))
        .containsExactly("ws://localhost:8000/ws", "http://localhost:8000/");
    assertThat(Services.named("gateway")).contains(Services.GATEWAY);
    assertThat(Services.named("nope")).isEmpty();
    assertThat(Services.GRAPH_SERVICE.instancesOption()).isEqualTo("--graph-services");
  }

  @Test
  void aLoneInstanceKeepsThePlainNameAndOnlyGatewaysNeedAnInstanceId() {
    assertThat(Services.GATEWAY.instanceName(1, 1)).isEqualTo("gateway");
    assertThat(Services.GATEWAY.instanceName(1, 2)).isEqualTo("gateway-1");
    assertThat(Services.TOKEN_SERVICE.instanceName(2, 2)).isEqualTo("token-service-2");
    assertThat(Services.GATEWAY.instanceIdVariable()).contains("NEUROGRAPH_GATEWAY_INSTANCE_ID");
    assertThat(Services.TOKEN_SERVICE.instanceIdVariable()).isEmpty();
  }

  @Test
  void rejectsNamesThatCannotBeOptionsOrJars() {
    assertThatThrownBy(() -> new ServiceSpec("Graph Service", 8082, 10, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceSpec("graph-service", 0, 10, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
