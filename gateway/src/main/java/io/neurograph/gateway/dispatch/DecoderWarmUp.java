package io.neurograph.gateway.dispatch;

import io.neurograph.contracts.GoldenSamples;
import io.neurograph.contracts.codec.ClientFrameDecoder;
import io.neurograph.contracts.codec.DecodedFrame;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.RequestType;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Decodes the golden sample of every request type once before the server accepts connections. Jackson
 * builds (and caches) a deserializer per payload type on first use under a lock; done here, on the main
 * thread, that never happens on an event loop with the first client's frame.
 */
@Component
class DecoderWarmUp implements SmartInitializingSingleton {

  @Override
  public void afterSingletonsInstantiated() {
    for (RequestType<?> type : MessageRegistry.requests()) {
      DecodedFrame frame = ClientFrameDecoder.decode(GoldenSamples.client(type.name()));
      if (!(frame instanceof DecodedFrame.Accepted)) {
        throw new IllegalStateException("the golden sample of " + type.name() + " does not decode: " + frame);
      }
    }
  }
}
