package io.flhetero.cli;

import io.flhetero.runtime.docker.Images;
import picocli.CommandLine.Option;

/** The client image of commands that start client containers: the option, else the environment, else the default. */
final class ClientImageOption {

    static final String ENV = "FL_HETERO_CLIENT_IMAGE";

    @Option(names = "--client-image", paramLabel = "IMAGE", description = "Image of the client containers "
            + "(default: $" + ENV + " or " + Images.DEFAULT_CLIENT + "; offline: fl-hetero/jre:17 from "
            + Images.OFFLINE_SCRIPT + ").")
    String clientImage;

    String image() {
        return clientImage != null ? clientImage : System.getenv().getOrDefault(ENV, Images.DEFAULT_CLIENT);
    }
}
