command_not_found_handle() { echo two; }
