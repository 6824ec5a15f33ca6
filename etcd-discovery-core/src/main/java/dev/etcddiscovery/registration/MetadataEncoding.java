package dev.etcddiscovery.registration;

/** How registration metadata is written into the endpoint value. */
public enum MetadataEncoding {

    /** {@code "Metadata":{"zone":"a"}}: readable by this starter and most resolvers. */
    OBJECT,

    /**
     * {@code "Metadata":"{\"zone\":\"a\"}"}: one JSON string, for fleets with etcd's Go resolver, which panics
     * under round_robin on object metadata (etcd issue #19700).
     */
    STRING
}
