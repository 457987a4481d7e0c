# Installation: headers, the static library, the newsgraph binary and a CMake package, so that
# another project can write
#   find_package(newsgraph 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE newsgraph::newsgraph)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(NEWSGRAPH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/newsgraph)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/newsgraph
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
# newsgraph is static, so its private dependency RE2 (PkgConfig::RE2) is part of its link
# interface ($<LINK_ONLY:...>); newsgraphConfig.cmake recreates that imported target with
# pkg-config before loading the exported targets.
install(TARGETS newsgraph EXPORT newsgraphTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS newsgraph_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT newsgraphTargets NAMESPACE newsgraph:: DESTINATION ${NEWSGRAPH_CMAKE_DIR})

configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/newsgraphConfig.cmake.in
  ${PROJECT_BINARY_DIR}/newsgraphConfig.cmake
  INSTALL_DESTINATION ${NEWSGRAPH_CMAKE_DIR})
# 0.x releases: a minor version may break the API.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/newsgraphConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/newsgraphConfig.cmake
              ${PROJECT_BINARY_DIR}/newsgraphConfigVersion.cmake
        DESTINATION ${NEWSGRAPH_CMAKE_DIR})
