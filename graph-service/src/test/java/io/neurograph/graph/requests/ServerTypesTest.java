package io.neurograph.graph.requests;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.messages.MessageRegistry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

class ServerTypesTest {

  @Test
  void everyNameIsAServerMessageOfTheContract() throws IllegalAccessException {
    for (Field field : ServerTypes.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        String name = (String) field.get(null);
        assertThat(MessageRegistry.server(name)).as(name).isPresent();
      }
    }
    assertThat(MessageRegistry.server(Reply.ERROR)).isPresent();
  }
}
