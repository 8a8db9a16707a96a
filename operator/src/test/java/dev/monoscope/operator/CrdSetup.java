package dev.monoscope.operator;

import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.io.InputStream;
import java.util.function.Consumer;

/** Installs the generated StreamMonitor and MonitorClass CRDs (from the crds jar) in the mock API server before the operator starts. */
public class CrdSetup implements Consumer<KubernetesServer> {

    @Override
    public void accept(KubernetesServer server) {
        for (String file :
                new String[] {"streammonitors.monoscope.dev-v1.yml", "monitorclasses.monoscope.dev-v1.yml"}) {
            try (InputStream crd = CrdSetup.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
                server.getClient()
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .load(crd)
                        .create();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
