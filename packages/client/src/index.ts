/**
 * @since 0.1.0
 */
export * as DomoScope from "./DomoScope.js"
/**
 * @since 0.1.0
 */
export * as DataSetModels from "./DataSetModels.js"
/**
 * @since 0.1.0
 */
export * as DomoTable from "./DomoTable.js"
