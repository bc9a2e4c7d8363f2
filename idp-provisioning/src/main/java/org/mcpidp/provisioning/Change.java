package org.mcpidp.provisioning;

import java.util.List;

/** One step of a {@link Plan}. Fields are the managed fields only; secret values never appear in a change. */
public sealed interface Change {

    ResourceType type();

    /** The object's name in the IdP (client id, scope name, user name; "client x" / "user y" for role mappings). */
    String name();

    /** The object does not exist yet; {@code fields} lists what it will be created with. */
    record Create(ResourceType type, String name, List<FieldChange> fields) implements Change {
        public Create {
            fields = List.copyOf(fields);
        }
    }

    /**
     * The object exists and differs in {@code fields}; other fields are left as they are.
     *
     * @param notOwned the object exists under the spec's name but this tool did not make it for the tenant (it carries
     *                 no ownership marker): someone else's. Applying this change takes it over: marks it as the
     *                 tenant's, brings it to the spec, and deletes it once it leaves the spec. Apply refuses such a
     *                 change unless the plan adopts ({@link Plan#adopting()})
     */
    record Update(ResourceType type, String name, List<FieldChange> fields, boolean notOwned) implements Change {
        public Update {
            fields = List.copyOf(fields);
        }

        /** An update of an object this tool owns. */
        public Update(ResourceType type, String name, List<FieldChange> fields) {
            this(type, name, fields, false);
        }
    }

    /** The object was created by this tool for this tenant and is no longer in the spec. */
    record Delete(ResourceType type, String name) implements Change {
    }
}
