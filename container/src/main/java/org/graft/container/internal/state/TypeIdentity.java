package org.graft.container.internal.state;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;

/**
 * Whether two declared types are the same types at run time: built from the very same classes (JDK
 * classes, or classes of a bundle that both versions import), so that a value of one can be handed
 * over as the other without conversion.
 */
final class TypeIdentity {
    private TypeIdentity() {
    }

    static boolean same(Type a, Type b) {
        if (a instanceof Class || b instanceof Class) {
            return a == b;
        }
        if (a instanceof ParameterizedType && b instanceof ParameterizedType) {
            ParameterizedType pa = (ParameterizedType) a;
            ParameterizedType pb = (ParameterizedType) b;
            return same(pa.getRawType(), pb.getRawType()) && sameAll(pa.getActualTypeArguments(), pb.getActualTypeArguments());
        }
        if (a instanceof GenericArrayType && b instanceof GenericArrayType) {
            return same(((GenericArrayType) a).getGenericComponentType(), ((GenericArrayType) b).getGenericComponentType());
        }
        if (a instanceof WildcardType && b instanceof WildcardType) {
            WildcardType wa = (WildcardType) a;
            WildcardType wb = (WildcardType) b;
            return sameAll(wa.getUpperBounds(), wb.getUpperBounds()) && sameAll(wa.getLowerBounds(), wb.getLowerBounds());
        }
        // Type variables depend on the declaring class, which differs between versions: not provably the same.
        return false;
    }

    private static boolean sameAll(Type[] a, Type[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!same(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether the type says nothing about what its values contain (raw types, Object, wildcards). */
    static boolean opaque(Type type) {
        if (type == Object.class) {
            return true;
        }
        if (type instanceof Class) {
            return ((Class<?>) type).getTypeParameters().length > 0;
        }
        if (type instanceof ParameterizedType) {
            for (Type argument : ((ParameterizedType) type).getActualTypeArguments()) {
                if (opaque(argument)) {
                    return true;
                }
            }
            return false;
        }
        if (type instanceof GenericArrayType) {
            return opaque(((GenericArrayType) type).getGenericComponentType());
        }
        return type instanceof WildcardType || type instanceof TypeVariable;
    }

    static String name(Type type) {
        return type == null ? null : type.getTypeName();
    }
}
