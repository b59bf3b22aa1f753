SET search_path TO DEFAULT
