package dev.etcddiscovery.spring.cloud;

import java.util.List;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Spring Cloud's view of the services in etcd: the instances of a service come from the shared watch the
 * {@code etcd:///} resolver uses ({@link EtcdServiceInstances}), the service names from a keys-only read of the
 * namespace ({@link EtcdServiceNames}).
 */
public class EtcdDiscoveryClient implements DiscoveryClient {

    static final String DESCRIPTION = "etcd discovery client";

    private final EtcdServiceInstances instances;

    private final EtcdServiceNames names;

    private int order = DiscoveryClient.DEFAULT_ORDER;

    public EtcdDiscoveryClient(EtcdServiceInstances instances, EtcdServiceNames names) {
        this.instances = instances;
        this.names = names;
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        return this.instances.instances(serviceId);
    }

    @Override
    public List<String> getServices() {
        return this.names.names();
    }

    @Override
    public int getOrder() {
        return this.order;
    }

    public void setOrder(int order) {
        this.order = order;
    }
}
