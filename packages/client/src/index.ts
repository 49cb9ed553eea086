/**
 * @since 0.1.0
 */
export * as DomoScope from "./DomoScope.js"
